"""`.xmp` sidecars, read by the same XMP reader as packets embedded in files.

An XMP packet beside the picture says what an embedded one would; its values become the
sidecar's. A packet the reader could not read (a DTD, damage) is a SidecarError: the picture
is rejected rather than stored with rights read from half a sidecar.
"""

from __future__ import annotations

from assets.feeds.sidecar import Sidecar, SidecarError
from assets.metadata import EmbeddedMetadata
from assets.metadata.precedence import apply_precedence, block_values
from assets.metadata.xmp import parse_xmp


def read_xmp_sidecar(data: bytes) -> Sidecar:
    packet = parse_xmp(data)
    if packet.unreadable:
        raise SidecarError(f"XMP sidecar unreadable: {'; '.join(packet.unreadable)}")
    if not packet.properties:
        raise SidecarError("XMP sidecar holds no XMP properties")
    meta = EmbeddedMetadata()
    apply_precedence(meta, [], packet, None)
    blocks, lost = block_values([], [packet], [])
    if lost:
        raise SidecarError(f"XMP sidecar too large to read for rights: {lost[0].warning}")
    fields = blocks[0].fields if blocks else {}
    sidecar = Sidecar(
        standard="xmp",
        description=meta.caption,
        headline=meta.headline,
        byline=meta.byline,
        credit=meta.credit,
        copyright=meta.copyright,
        usage_terms=list(fields.get("usage_terms", [])),
        ednote="\n".join(fields.get("special_instructions", [])) or None,
        located=", ".join(p for p in (meta.city, meta.country) if p) or None,
    )
    # every language of the caption and the rights is read, not only the one taken
    for name, taken in (("caption", meta.caption), ("copyright", meta.copyright)):
        sidecar.keep_also(name, list(fields.get(name, [])), taken)
    sidecar.keep_also("credit", list(fields.get("credit", [])), meta.credit)
    return sidecar
