"""read_embedded: bytes in, EmbeddedMetadata out. No database, no HTTP, no pixel decoding.

Order of work: recognise the type from magic bytes (unknown -> UnsupportedMedia), let
Pillow read the header for the size (it enforces the decompression-bomb limit and
proves the file is an image), cut the metadata blocks out of the container, decode each
block on its own (a broken block is a warning, not a failure), then apply precedence.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image

from assets.metadata import heif, sniff
from assets.metadata.blocks import Blocks
from assets.metadata.errors import ImageTooLarge, UnreadableImage, UnsupportedMedia
from assets.metadata.exif import ExifData, read_exif
from assets.metadata.iptc import IptcData, decode_iptc
from assets.metadata.jpeg import read_jpeg_blocks
from assets.metadata.model import EmbeddedMetadata
from assets.metadata.png import read_png_blocks
from assets.metadata.precedence import apply_precedence
from assets.metadata.tiff import read_tiff_blocks
from assets.metadata.webp import read_webp_blocks
from assets.metadata.xmp import XMP_NOTE, XmpData, parse_xmp

_PILLOW_FORMATS = {
    sniff.JPEG: ["JPEG", "MPO"],
    sniff.TIFF: ["TIFF"],
    sniff.PNG: ["PNG"],
    sniff.WEBP: ["WEBP"],
    sniff.HEIC: ["HEIF"],
    sniff.HEIF: ["HEIF"],
}


def read_embedded(data: bytes) -> EmbeddedMetadata:
    """Read the IPTC, XMP and EXIF embedded in an image file.

    Raises UnsupportedMedia (not a supported image), UnreadableImage (header damaged) or
    ImageTooLarge (beyond Pillow's pixel limit). Everything else that goes wrong with the
    metadata is reported in `warnings` and the rest is still read.
    """
    media_type = sniff.sniff_media_type(data)
    if media_type is None:
        raise UnsupportedMedia(sniff.describe_unsupported(data))
    meta = EmbeddedMetadata(media_type=media_type)
    info = _read_header(data, media_type, meta)
    blocks = _cut_blocks(data, media_type, info)
    meta.warnings.extend(blocks.warnings)

    iptc = [decode_iptc(block.data) for block in blocks.iptc]
    xmp = _read_xmp(blocks)
    exif = read_exif(blocks.exif) if blocks.exif else None
    apply_precedence(meta, iptc, xmp, exif)
    meta.raw = _raw(iptc, xmp, exif)
    for part in (*iptc, xmp, exif):
        if part is not None:
            meta.warnings.extend(part.warnings)
    return meta


def _read_header(data: bytes, media_type: str, meta: EmbeddedMetadata) -> dict[str, Any]:
    """Open the image header with Pillow for the size; return Pillow's `info` (used for HEIF)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[media_type]) as image:
                meta.width, meta.height = image.size
                heif_type = media_type in (sniff.HEIC, sniff.HEIF)
                info = {str(k): v for k, v in image.info.items()} if heif_type else {}
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(
            f"image is too large to process safely ({exc}); upload a version under 178 megapixels"
        ) from exc
    except Exception as exc:  # Pillow raises many types on damaged headers; all mean the same
        raise UnreadableImage(
            f"the {media_type} header cannot be read ({type(exc).__name__}: {exc}); "
            "the file is truncated or damaged: export it again and re-upload"
        ) from exc
    limit = Image.MAX_IMAGE_PIXELS
    if limit and meta.width and meta.height and meta.width * meta.height > limit:
        meta.warnings.append(
            f"image has {meta.width * meta.height} pixels, above the {limit} pixel safety "
            "limit for decoding; its metadata was read but previews may be refused"
        )
    return info


def _cut_blocks(data: bytes, media_type: str, info: dict[str, Any]) -> Blocks:
    """Dispatch to the container reader for this media type."""
    if media_type == sniff.JPEG:
        return read_jpeg_blocks(data)
    if media_type == sniff.TIFF:
        return read_tiff_blocks(data)
    if media_type == sniff.PNG:
        return read_png_blocks(data)
    if media_type == sniff.WEBP:
        return read_webp_blocks(data)
    return heif.read_heif_blocks(info)


def _read_xmp(blocks: Blocks) -> XmpData | None:
    """Parse the main packet and merge the extended packet it points to (JPEG only)."""
    if blocks.xmp is None:
        return None
    xmp = parse_xmp(blocks.xmp)
    guid = xmp.text(XMP_NOTE, "HasExtendedXMP")
    if guid and guid.strip() in blocks.xmp_extended:
        xmp.merge(parse_xmp(blocks.xmp_extended[guid.strip()]))
    elif guid:
        xmp.warnings.append(f"extended XMP {guid} is referenced but missing")
    return xmp


def _raw(iptc: list[IptcData], xmp: XmpData | None, exif: ExifData | None) -> dict[str, Any]:
    """Per-block raw values: "iptc", then "iptc2"... for further IPTC blocks, "xmp", "exif"."""
    raw: dict[str, Any] = {}
    for index, block in enumerate(iptc):
        raw["iptc" if index == 0 else f"iptc{index + 1}"] = block.raw()
    if xmp is not None:
        raw["xmp"] = xmp.raw()
    if exif is not None:
        raw["exif"] = dict(exif.tags)
    return raw
