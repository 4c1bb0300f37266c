"""HEIC/HEIF support through pillow-heif: its opener gives Pillow the size, EXIF and XMP.

ISO BMFF item boxes are intricate; libheif (behind pillow-heif) is maintained and already
parses them, and opening does not decode pixels.
"""

from __future__ import annotations

from typing import Any

from pillow_heif import register_heif_opener

from assets.metadata.blocks import Blocks

register_heif_opener()


def read_heif_blocks(info: dict[str, Any]) -> Blocks:
    """Take EXIF and XMP from the `info` of the Pillow image opened by pillow-heif."""
    blocks = Blocks()
    exif = info.get("exif")
    if isinstance(exif, bytes) and exif:
        blocks.exif = exif[6:] if exif.startswith(b"Exif\x00") else exif
    xmp = info.get("xmp")
    if isinstance(xmp, bytes) and xmp:
        blocks.xmp = xmp
    return blocks
