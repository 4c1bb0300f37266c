"""Cut EXIF and XMP out of the RIFF chunks of a WebP file."""

from __future__ import annotations

from assets.metadata.blocks import MAX_BLOCK_BYTES, Blocks, too_large, xmp_too_large
from assets.metadata.source import ImageData

_MAX_CHUNKS = 100_000


def read_webp_blocks(data: ImageData) -> Blocks:
    """Walk the RIFF chunks; EXIF may carry a JPEG-style "Exif\\0\\0" prefix, which is removed."""
    blocks = Blocks()
    pos, n = 12, len(data)
    for _ in range(_MAX_CHUNKS):
        if pos + 8 > n:
            if pos < n:
                blocks.cannot_read("file", "WebP is truncated")
            break
        kind = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if pos + 8 + size > n:
            blocks.cannot_read("file", f"WebP chunk {kind!r} is truncated")
            break
        if kind == b"EXIF" and size > MAX_BLOCK_BYTES:
            blocks.cannot_read("exif", too_large(f"WebP EXIF chunk of {size} bytes"))
        elif kind == b"XMP " and size > MAX_BLOCK_BYTES:
            blocks.cannot_read("xmp", xmp_too_large(size))
        elif kind == b"EXIF":
            body = data[pos + 8 : pos + 8 + size]
            blocks.add_exif(body[6:] if body.startswith(b"Exif\x00") else body)
        elif kind == b"C2PA" and size <= MAX_BLOCK_BYTES:
            blocks.add_jumbf("WebP C2PA chunk", data[pos + 8 : pos + 8 + size])
        elif kind == b"XMP ":
            blocks.add_xmp(data[pos + 8 : pos + 8 + size])
        pos += 8 + size + (size % 2)
    return blocks
