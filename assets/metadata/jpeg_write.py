"""Splice new XMP (APP1) and IPTC (APP13) segments into a JPEG without touching the scan.

Every segment other than the standard XMP packet and the Photoshop APP13 is copied as
is, and everything from the first SOS marker to the end of the file (entropy-coded data,
EOI, any trailer) is copied byte for byte: the pixels are never re-encoded.
"""

from __future__ import annotations

from assets.metadata.errors import CannotEmbed
from assets.metadata.iptc_update import update_iptc
from assets.metadata.irb import IPTC_RESOURCE, PHOTOSHOP_HEADER, parse_resources, with_iptc
from assets.metadata.jpeg import APP1, APP13, SOS, XMP_SIGNATURE, segments
from assets.metadata.model import RightsFields
from assets.metadata.trailers import shift_afcp
from assets.metadata.xmp_update import update_xmp

_MAX_PAYLOAD = 65533  # segment length field (65535) minus its own two bytes
_APP0 = 0xE0


def embed_in_jpeg(data: bytes, fields: RightsFields) -> bytes:
    """Return the JPEG with the rights written into its XMP and IPTC."""
    segs = list(segments(data))
    if not segs or segs[-1].marker != SOS:
        raise CannotEmbed(
            "the JPEG is damaged before its image data, so rights cannot be written safely; "
            "export the image again"
        )
    old_xmp: bytes | None = None
    photoshop = bytearray()
    for seg in segs:
        if seg.marker == APP1 and seg.payload.startswith(XMP_SIGNATURE) and old_xmp is None:
            old_xmp = seg.payload[len(XMP_SIGNATURE) :]
        elif seg.marker == APP13 and seg.payload.startswith(PHOTOSHOP_HEADER):
            photoshop += seg.payload[len(PHOTOSHOP_HEADER) :]

    xmp_segment = _xmp_segment(old_xmp, fields)
    app13_segments = _app13_segments(bytes(photoshop), fields)

    out = bytearray(b"\xff\xd8")
    inserted = False
    for seg in segs:
        if seg.marker == SOS:
            break
        is_old_xmp = seg.marker == APP1 and seg.payload.startswith(XMP_SIGNATURE)
        is_old_irb = seg.marker == APP13 and seg.payload.startswith(PHOTOSHOP_HEADER)
        if not inserted and not _leading(seg.marker, seg.payload):
            out += xmp_segment + app13_segments
            inserted = True
        if is_old_xmp or is_old_irb:
            continue
        out += data[seg.start : seg.end]
    if not inserted:
        out += xmp_segment + app13_segments
    delta = len(out) - segs[-1].start
    out += data[segs[-1].start :]
    if delta:
        shift_afcp(out, delta)
    return bytes(out)


def _leading(marker: int, payload: bytes) -> bool:
    """APP0 (JFIF) and the EXIF APP1 stay first, as readers expect them there."""
    return marker == _APP0 or (marker == APP1 and payload.startswith(b"Exif\x00"))


def _xmp_segment(old_xmp: bytes | None, fields: RightsFields) -> bytes:
    """One APP1 XMP segment; shrink the padding if needed, refuse if still too large."""
    for padding in (2048, 0):
        packet = XMP_SIGNATURE + update_xmp(old_xmp, fields, padding=padding)
        if len(packet) <= _MAX_PAYLOAD:
            return _segment(APP1, packet)
    existing = len(old_xmp or b"")
    raise CannotEmbed(
        "the XMP with these rights exceeds the 64 KB a JPEG XMP segment can hold "
        f"(the file's own XMP is {existing} bytes); shorten the caption or usage terms, "
        "or strip the file's XMP history before uploading"
    )


def _app13_segments(old_irb: bytes, fields: RightsFields) -> bytes:
    """Photoshop APP13 with a new IPTC resource and digest; other resources kept.

    A block too large for one segment is split across several, as Photoshop does.
    """
    resources, _problem = parse_resources(old_irb) if old_irb else ([], None)
    old_iptc = next(
        (r.data for r in resources if r.resource_id == IPTC_RESOURCE and r.signature == b"8BIM"),
        None,
    )
    irb = with_iptc(resources, update_iptc(old_iptc, fields))
    room = _MAX_PAYLOAD - len(PHOTOSHOP_HEADER)
    return b"".join(
        _segment(APP13, PHOTOSHOP_HEADER + irb[i : i + room]) for i in range(0, len(irb), room)
    )


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload
