"""Write rights into a classic TIFF by appending new blocks and a rewritten IFD0.

Nothing in the file moves: the new IPTC, XMP and Photoshop blocks and a copy of IFD0
that points at them are appended, then the header is pointed at the new IFD0. Every
other entry keeps its value or offset, so strips, tiles and sub-IFDs stay untouched.
"""

from __future__ import annotations

import struct

from assets.metadata.errors import CannotEmbed
from assets.metadata.iptc_update import update_iptc
from assets.metadata.irb import IPTC_RESOURCE, Resource, parse_resources, with_iptc
from assets.metadata.model import RightsFields
from assets.metadata.tiff import (
    TAG_IPTC,
    TAG_PHOTOSHOP,
    TAG_XMP,
    Entry,
    iptc_bytes,
    read_header,
    read_ifd,
)
from assets.metadata.xmp_update import update_xmp

_UNDEFINED = 7
_BYTE = 1


def embed_in_tiff(data: bytes, fields: RightsFields) -> bytes:
    """Return the TIFF with the rights written into IFD0's IPTC, XMP and Photoshop tags."""
    header = read_header(data)
    if header is None or header.big:
        raise CannotEmbed("rights can be written into classic TIFF only; save as TIFF or JPEG")
    entries, next_ifd, problem = read_ifd(data, header, header.first_ifd)
    if problem or not entries:
        raise CannotEmbed(f"the TIFF directory cannot be rewritten ({problem}); export it again")
    by_tag = {e.tag: e for e in entries}

    old_iptc = iptc_bytes(by_tag[TAG_IPTC], header) if TAG_IPTC in by_tag else None
    photoshop_resources: list[Resource] = []
    if TAG_PHOTOSHOP in by_tag:
        photoshop_resources, _ = parse_resources(by_tag[TAG_PHOTOSHOP].value)
        if old_iptc is None:
            old_iptc = next(
                (r.data for r in photoshop_resources if r.resource_id == IPTC_RESOURCE), None
            )
    iptc = update_iptc(old_iptc, fields)
    old_xmp = by_tag[TAG_XMP].value if TAG_XMP in by_tag else None
    new_values: dict[int, tuple[int, bytes]] = {
        TAG_IPTC: (_UNDEFINED, iptc),
        TAG_XMP: (_BYTE, update_xmp(old_xmp, fields)),
    }
    if TAG_PHOTOSHOP in by_tag:
        new_values[TAG_PHOTOSHOP] = (_UNDEFINED, with_iptc(photoshop_resources, iptc))

    o = header.order
    out = bytearray(data)
    offsets: dict[int, int] = {}
    for tag, (_type, value) in new_values.items():
        out += b"\x00" * (len(out) % 2)
        offsets[tag] = len(out)
        out += value
    out += b"\x00" * (len(out) % 2)
    ifd_offset = len(out)
    if ifd_offset + 2 + 12 * (len(entries) + 3) + 4 > 0xFFFFFFFF:
        raise CannotEmbed("the TIFF would grow beyond 4 GB; write rights into a smaller file")

    merged: list[Entry | tuple[int, int, int, bytes]] = [
        e for e in entries if e.tag not in new_values
    ]
    for tag, (typ, value) in new_values.items():
        merged.append((tag, typ, len(value), struct.pack(o + "I", offsets[tag])))
    merged.sort(key=lambda e: e.tag if isinstance(e, Entry) else e[0])

    out += struct.pack(o + "H", len(merged))
    for item in merged:
        if isinstance(item, Entry):
            out += struct.pack(o + "HHI", item.tag, item.type, item.count) + item.raw_field
        else:
            tag, typ, count, field = item
            out += struct.pack(o + "HHI", tag, typ, count) + field
    out += struct.pack(o + "I", next_ifd)
    out[4:8] = struct.pack(o + "I", ifd_offset)
    return bytes(out)
