"""Read TIFF image file directories (IFDs) far enough to find metadata and rewrite IFD0.

In TIFF the metadata lives in IFD0 tags: 33723 IPTC-NAA, 700 XMP, 34377 Photoshop
resources. The same structure is the payload of EXIF blocks. Classic TIFF and BigTIFF.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from assets.metadata.blocks import (
    MAX_BLOCK_BYTES,
    Blocks,
    IptcBlock,
    too_large,
    xmp_too_large,
)
from assets.metadata.irb import IPTC_RESOURCE, parse_resources
from assets.metadata.source import ImageData

TAG_XMP = 700
TAG_IPTC = 33723
TAG_PHOTOSHOP = 34377
TAG_WIDTH = 256
TAG_HEIGHT = 257

_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
    16: 8,
    17: 8,
    18: 8,
}
MAX_ENTRIES = 4096


@dataclass(slots=True)
class Entry:
    """One IFD entry. Its value bytes are cut out only when asked for (`value`), because
    a hostile directory can point thousands of entries at the same huge region."""

    tag: int
    type: int
    count: int
    size: int  # bytes of the value
    raw_field: bytes  # the value/offset field exactly as stored in the IFD
    source: ImageData  # the whole TIFF structure the entry belongs to
    offset: int  # where the value starts in `source`; -1 when stored inline

    @property
    def value(self) -> bytes:
        """The value bytes; empty when they would lie outside the file."""
        if self.offset < 0:
            return self.raw_field[: self.size]
        if self.offset + self.size > len(self.source):
            return b""
        return self.source[self.offset : self.offset + self.size]


@dataclass(slots=True)
class Header:
    """Byte order ("<" or ">"), BigTIFF flag and the offset of IFD0."""

    order: str
    big: bool
    first_ifd: int


def read_header(data: ImageData) -> Header | None:
    """Parse the TIFF header, or None when it is not one."""
    if data[:2] == b"II":
        order = "<"
    elif data[:2] == b"MM":
        order = ">"
    else:
        return None
    if len(data) < 8:
        return None
    (magic,) = struct.unpack(order + "H", data[2:4])
    if magic == 42:
        return Header(order, False, struct.unpack(order + "I", data[4:8])[0])
    if magic == 43 and len(data) >= 16:
        return Header(order, True, struct.unpack(order + "Q", data[8:16])[0])
    return None


def read_ifd(data: ImageData, header: Header, offset: int) -> tuple[list[Entry], int, str | None]:
    """Read the IFD at `offset`: entries, offset of the next IFD, and a problem if damaged."""
    o = header.order
    count_size, entry_size, field_size = (8, 20, 8) if header.big else (2, 12, 4)
    if offset < 8 or offset + count_size > len(data):
        return [], 0, "TIFF directory offset is outside the file"
    (count,) = struct.unpack(o + ("Q" if header.big else "H"), data[offset : offset + count_size])
    if count > MAX_ENTRIES:
        return [], 0, f"TIFF directory claims {count} entries; not read"
    entries: list[Entry] = []
    pos = offset + count_size
    problem = None
    fit = (len(data) - pos) // entry_size
    if fit < count:
        count, problem = fit, "TIFF directory is truncated; the entries present were read"
    pointer = "Q" if header.big else "I"
    for _ in range(count):
        tag, typ = struct.unpack(o + "HH", data[pos : pos + 4])
        n = struct.unpack(o + pointer, data[pos + 4 : pos + 4 + field_size])[0]
        raw_field = data[pos + 4 + field_size : pos + 4 + 2 * field_size]
        size = _TYPE_SIZES.get(typ, 1) * n
        at = -1 if size <= field_size else struct.unpack(o + pointer, raw_field)[0]
        entries.append(Entry(tag, typ, n, size, raw_field, data, at))
        pos += entry_size
    if problem or pos + field_size > len(data):
        return entries, 0, problem or "TIFF directory has no next-directory pointer"
    (next_ifd,) = struct.unpack(o + pointer, data[pos : pos + field_size])
    return entries, next_ifd, None


def read_tiff_blocks(data: ImageData) -> Blocks:
    """Find IPTC, XMP and Photoshop resources in IFD0; the file itself is the EXIF block."""
    blocks = Blocks(exif=data)
    header = read_header(data)
    if header is None:
        blocks.cannot_read("file", "TIFF header is damaged; metadata not read")
        return blocks
    entries, _, problem = read_ifd(data, header, header.first_ifd)
    if problem:
        blocks.cannot_read("file", problem)
    for entry in entries:
        if entry.tag in (TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP) and entry.size > MAX_BLOCK_BYTES:
            if entry.tag == TAG_XMP:
                blocks.cannot_read("xmp", xmp_too_large(entry.size))
            else:
                blocks.cannot_read("iptc", too_large(f"TIFF tag {entry.tag} of {entry.size} bytes"))
            continue
        if entry.tag in (TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP) and entry.size and not entry.value:
            blocks.cannot_read(
                "xmp" if entry.tag == TAG_XMP else "iptc",
                f"TIFF tag {entry.tag} points outside the file; not read",
            )
            continue
        if entry.tag == TAG_XMP and entry.value:
            blocks.add_xmp(entry.value)
        elif entry.tag == TAG_IPTC and entry.value:
            blocks.iptc.append(IptcBlock("tiff", iptc_bytes(entry, header)))
        elif entry.tag == TAG_PHOTOSHOP and entry.value:
            resources, warning = parse_resources(entry.value)
            if warning:
                blocks.cannot_read("iptc", warning)
            blocks.iptc.extend(
                IptcBlock("tiff-photoshop", r.data)
                for r in resources
                if r.resource_id == IPTC_RESOURCE
            )
    return blocks


def iptc_bytes(entry: Entry, header: Header) -> bytes:
    """IPTC stored as LONGs by a little-endian writer may have each 4 bytes reversed."""
    value = entry.value
    if value[:1] != b"\x1c" and entry.type == 4 and header.order == "<" and value[3:4] == b"\x1c":
        n = len(value) // 4 * 4
        return b"".join(value[i : i + 4][::-1] for i in range(0, n, 4)) + value[n:]
    return value
