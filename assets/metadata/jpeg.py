"""Cut the metadata blocks out of a JPEG by walking its marker segments up to the scan.

Only segment headers are read; pixels are never decoded. The same walk is used by the
writer (via `segments`) so that reading and writing agree on what a segment is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from assets.metadata.blocks import MAX_BLOCK_BYTES, MAX_EXTENDED_XMP_BYTES, Blocks, IptcBlock
from assets.metadata.irb import IPTC_RESOURCE, PHOTOSHOP_HEADER, parse_resources
from assets.metadata.source import ImageData
from assets.metadata.trailers import read_trailer_iptc

EXIF_SIGNATURE = b"Exif\x00"
XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXTENSION_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"

SOS = 0xDA
EOI = 0xD9
APP1 = 0xE1
APP11 = 0xEB
APP13 = 0xED
_STANDALONE = {0x01, 0xD8, *range(0xD0, 0xD8)}
# Real JPEGs have a few dozen segments before the scan; a hostile one could have millions
# of empty ones (or megabytes of fill bytes), which would each cost a Python loop step.
MAX_STEPS = 20_000


@dataclass(slots=True)
class Segment:
    """A marker segment: `start` is the offset of its 0xFF, `end` one past its payload.

    The payload is cut out only when asked for, so walking past segments nobody reads
    (ICC profiles, padding, thumbnails) costs no copy of them.
    """

    marker: int
    start: int
    end: int
    source: ImageData

    @property
    def payload(self) -> bytes:
        return self.source[self.start + 4 : self.end]


def segments(data: ImageData) -> Iterator[Segment]:
    """Yield the segments after SOI up to and including SOS (whose payload is its header).

    Stops quietly on damage; `segments_problem` tells the reader why it stopped.
    """
    pos, n = 2, len(data)
    for _ in range(MAX_STEPS):
        if pos + 4 > n or data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker == EOI:
            return
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2 or pos + 2 + length > n:
            return
        yield Segment(marker, pos, pos + 2 + length, data)
        if marker == SOS:
            return
        pos += 2 + length


def segments_problem(data: ImageData) -> str | None:
    """Explain why the segment walk ended before the scan data, or None if it reached SOS."""
    last: Segment | None = None
    for segment in segments(data):
        last = segment
    if last is not None and last.marker == SOS:
        return None
    pos = last.end if last is not None else 2
    if pos + 4 > len(data):
        return "JPEG is truncated before the image data"
    if data[pos] != 0xFF:
        return f"JPEG marker expected at byte {pos}; metadata after it was not read"
    if data[pos + 1] == EOI:
        return "JPEG ends before any image data"
    length = int.from_bytes(data[pos + 2 : pos + 4], "big")
    if length < 2 or pos + 2 + length > len(data):
        return f"JPEG segment at byte {pos} runs past the end of the file"
    return f"JPEG has more than {MAX_STEPS} segments or fill bytes before the image data"


def read_jpeg_blocks(data: ImageData) -> Blocks:
    """Find EXIF (APP1), XMP and extended XMP (APP1), IPTC (APP13 and trailers) in a JPEG."""
    blocks = Blocks()
    photoshop = bytearray()
    extended: dict[str, tuple[int, dict[int, bytes]]] = {}
    extended_bytes = photoshop_bytes = 0
    last_marker = None
    for seg in segments(data):
        last_marker = seg.marker
        if seg.marker == APP11:
            payload = seg.payload
            if payload.startswith(b"JP"):
                blocks.add_jumbf("JPEG APP11 JUMBF", payload)
            continue
        if seg.marker not in (APP1, APP13):
            continue
        payload = seg.payload
        if seg.marker == APP1:
            if payload.startswith(EXIF_SIGNATURE):
                blocks.add_exif(payload[6:])
            elif payload.startswith(XMP_SIGNATURE):
                blocks.add_xmp(payload[len(XMP_SIGNATURE) :])
            elif payload.startswith(XMP_EXTENSION_SIGNATURE):
                # each GUID is bounded alone; this bounds them all together, as a hostile
                # file can hold thousands of GUIDs
                extended_bytes += len(payload)
                if extended_bytes <= MAX_EXTENDED_XMP_BYTES:
                    _add_extended_chunk(extended, payload[len(XMP_EXTENSION_SIGNATURE) :], blocks)
                elif extended_bytes - len(payload) <= MAX_EXTENDED_XMP_BYTES:
                    blocks.cannot_read(
                        "xmp",
                        f"more than {MAX_EXTENDED_XMP_BYTES >> 20} MB of extended XMP;"
                        " the rest was skipped",
                    )
        elif seg.marker == APP13 and payload.startswith(PHOTOSHOP_HEADER):
            photoshop_bytes += len(payload)
            if photoshop_bytes <= MAX_BLOCK_BYTES:
                photoshop += payload[len(PHOTOSHOP_HEADER) :]
            elif photoshop_bytes - len(payload) <= MAX_BLOCK_BYTES:
                blocks.cannot_read(
                    "iptc",
                    f"more than {MAX_BLOCK_BYTES >> 20} MB of Photoshop APP13 data;"
                    " the rest was skipped",
                )
    if last_marker != SOS:
        problem = segments_problem(data)
        if problem:
            blocks.cannot_read("file", problem)
    if photoshop:
        resources, warning = parse_resources(bytes(photoshop))
        if warning:
            blocks.cannot_read("iptc", warning)
        for res in resources:
            if res.resource_id == IPTC_RESOURCE and res.signature == b"8BIM":
                blocks.iptc.append(IptcBlock("app13", res.data))
    blocks.xmp_extended = _assemble_extended(extended, blocks)
    trailer_iptc, trailer_warnings = read_trailer_iptc(data)
    blocks.iptc.extend(IptcBlock("trailer", chunk) for chunk in trailer_iptc)
    for warning in trailer_warnings:
        blocks.cannot_read("iptc", warning)
    return blocks


def _add_extended_chunk(
    extended: dict[str, tuple[int, dict[int, bytes]]], chunk: bytes, blocks: Blocks
) -> None:
    """Store one extended-XMP chunk: 32-char GUID, full length, offset, then the data."""
    if len(chunk) < 40:
        blocks.cannot_read("xmp", "extended XMP chunk is too short; skipped")
        return
    guid = chunk[:32].decode("latin-1")
    full_length = int.from_bytes(chunk[32:36], "big")
    offset = int.from_bytes(chunk[36:40], "big")
    if full_length > MAX_EXTENDED_XMP_BYTES:
        blocks.cannot_read("xmp", f"extended XMP of {full_length} bytes is too large; skipped")
        return
    known_length, parts = extended.setdefault(guid, (full_length, {}))
    if known_length == full_length:
        parts[offset] = chunk[40:]


def _assemble_extended(
    extended: dict[str, tuple[int, dict[int, bytes]]], blocks: Blocks
) -> dict[str, bytes]:
    """Join the chunks of each GUID; a GUID with gaps is reported and dropped."""
    assembled: dict[str, bytes] = {}
    for guid, (full_length, parts) in extended.items():
        out = bytearray()
        for offset in sorted(parts):
            if offset != len(out):
                break
            out += parts[offset]
        if len(out) != full_length:
            blocks.cannot_read("xmp", f"extended XMP {guid} is incomplete; skipped")
            continue
        assembled[guid] = bytes(out)
    return assembled
