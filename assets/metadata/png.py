"""Cut metadata out of PNG chunks: XMP in iTXt, EXIF in eXIf, and ImageMagick raw profiles.

Chunks after IDAT are read too (some tools append text there). Compressed chunks are
inflated with a hard output limit, so a zlib bomb in a zTXt chunk costs nothing.
"""

from __future__ import annotations

import binascii
import zlib

from assets.metadata.blocks import (
    MAX_BLOCK_BYTES,
    Blocks,
    IptcBlock,
    too_large,
    xmp_too_large,
)
from assets.metadata.irb import IPTC_RESOURCE, PHOTOSHOP_HEADER, parse_resources
from assets.metadata.source import ImageData

_XMP_KEYWORD = b"XML:com.adobe.xmp"
_RAW_PROFILE = b"Raw profile type "
_MAX_CHUNKS = 100_000


def read_png_blocks(data: ImageData) -> Blocks:
    """Walk the PNG chunks up to IEND and collect XMP, EXIF and IPTC."""
    blocks = Blocks()
    tried: set[bytes] = set()
    pos, n = 8, len(data)
    for _ in range(_MAX_CHUNKS):
        if pos + 8 > n:
            blocks.cannot_read("file", "PNG is truncated (no IEND chunk)")
            break
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if pos + 8 + length > n:
            blocks.cannot_read("file", f"PNG chunk {kind!r} is truncated")
            break
        if kind == b"IEND":
            break
        is_text = kind in (b"iTXt", b"tEXt", b"zTXt")
        if (is_text or kind == b"eXIf") and length > MAX_BLOCK_BYTES:
            if data[pos + 8 : pos + 8 + len(_XMP_KEYWORD)] == _XMP_KEYWORD:
                blocks.cannot_read("xmp", xmp_too_large(length))
            elif kind == b"eXIf":
                blocks.cannot_read("exif", too_large(f"PNG eXIf chunk of {length} bytes"))
            elif _may_carry_metadata(data, pos + 8):
                blocks.cannot_read(
                    _profile_block(data[pos + 8 : pos + 8 + 32]),
                    too_large(f"PNG {kind.decode()} chunk of {length} bytes"),
                )
        elif is_text and _may_carry_metadata(data, pos + 8):
            _read_text_chunk(kind, data[pos + 8 : pos + 8 + length], blocks, tried)
        elif kind == b"caBX" and length <= MAX_BLOCK_BYTES:
            blocks.add_jumbf("PNG caBX chunk", data[pos + 8 : pos + 8 + length])
        elif kind == b"eXIf":
            body = data[pos + 8 : pos + 8 + length]
            blocks.add_exif(body[6:] if body.startswith(b"Exif\x00") else body)
        pos += 12 + length
    return blocks


def _may_carry_metadata(data: ImageData, body: int) -> bool:
    """Whether a text chunk's keyword may be XMP or a raw profile, from its first bytes.

    Comments and other text are then skipped without being read at all.
    """
    head = data[body : body + 32]
    return head.startswith((_XMP_KEYWORD, _RAW_PROFILE))


def _profile_block(keyword: bytes) -> str:
    """Which block a metadata text chunk carries, from its keyword (for warnings)."""
    if keyword.startswith(_XMP_KEYWORD):
        return "xmp"
    profile = keyword[len(_RAW_PROFILE) :].split(b"\x00", 1)[0].lower()
    if profile.startswith(b"xmp"):
        return "xmp"
    if profile.startswith((b"exif", b"app1")):
        return "exif"
    return "iptc"


def _inflate(payload: bytes, blocks: Blocks, keyword: bytes) -> bytes | None:
    """Inflate zlib data, refusing output beyond MAX_BLOCK_BYTES."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(payload, MAX_BLOCK_BYTES)
    except zlib.error:
        blocks.cannot_read(
            _profile_block(keyword), "PNG text chunk has damaged compressed data; skipped"
        )
        return None
    if inflater.unconsumed_tail:
        blocks.cannot_read(
            _profile_block(keyword),
            "PNG text chunk inflates beyond the metadata size limit; skipped",
        )
        return None
    return out


def _read_text_chunk(kind: bytes, body: bytes, blocks: Blocks, tried: set[bytes]) -> None:
    """Handle the text chunks that may carry XMP or a raw profile.

    Other keywords (comments, software names) are not even inflated, and each keyword
    is tried once only, damaged or not: each inflation may cost up to MAX_BLOCK_BYTES.
    """
    keyword, _, rest = body.partition(b"\x00")
    if keyword != _XMP_KEYWORD and not keyword.startswith(_RAW_PROFILE):
        return
    if keyword.lower() in tried:
        # each inflation may cost up to MAX_BLOCK_BYTES, so a repeat is not read; it may
        # state rights all the same
        blocks.cannot_read(
            _profile_block(keyword),
            f"PNG has more than one {keyword.decode('latin-1')!r} chunk; the repeat was not read",
        )
        return
    tried.add(keyword.lower())
    text: bytes | None
    if kind == b"iTXt":
        if len(rest) < 2:
            return
        compressed, rest = rest[0], rest[2:]
        _lang, _, rest = rest.partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        if compressed:
            text = _inflate(text, blocks, keyword)
    elif kind == b"zTXt":
        text = _inflate(rest[1:], blocks, keyword)
    else:
        text = rest
    if text is None:
        return
    if keyword == _XMP_KEYWORD:
        blocks.add_xmp(text)
    elif keyword.startswith(_RAW_PROFILE):
        _read_raw_profile(keyword[len(_RAW_PROFILE) :].lower(), text, blocks)


def _read_raw_profile(profile: bytes, text: bytes, blocks: Blocks) -> None:
    """ImageMagick's "\\nname\\n   length\\nhex..." profile format."""
    lines = text.split(b"\n", 3)
    if len(lines) < 4:
        blocks.cannot_read(
            _profile_block(_RAW_PROFILE + profile),
            f"PNG raw profile {profile!r} is damaged; skipped",
        )
        return
    try:
        payload = binascii.unhexlify(b"".join(lines[3].split()))
    except (binascii.Error, ValueError):
        blocks.cannot_read(
            _profile_block(_RAW_PROFILE + profile),
            f"PNG raw profile {profile!r} is not valid hex; skipped",
        )
        return
    if profile in (b"exif", b"app1"):
        if payload.startswith(b"Exif\x00"):
            payload = payload[6:]
        blocks.add_exif(payload)
    elif profile == b"xmp":
        blocks.add_xmp(payload)
    elif profile in (b"iptc", b"8bim"):
        if payload.startswith(PHOTOSHOP_HEADER):
            payload = payload[len(PHOTOSHOP_HEADER) :]
        if payload.startswith(b"8BIM"):
            resources, warning = parse_resources(payload)
            if warning:
                blocks.cannot_read("iptc", warning)
            blocks.iptc.extend(
                IptcBlock("png", r.data) for r in resources if r.resource_id == IPTC_RESOURCE
            )
        elif payload.startswith(b"\x1c"):
            blocks.iptc.append(IptcBlock("png", payload))
