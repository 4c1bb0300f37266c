"""read_embedded: bytes in, EmbeddedMetadata out. No database, no HTTP, no pixel decoding.

read_embedded_file reads a file on disk the same way without loading it: the container
readers only touch the regions they need (source.FileBytes), so a 200 MB upload costs
kilobytes. The two give identical results for the same bytes.

Order of work: recognise the type from magic bytes (unknown -> UnsupportedMedia), read
the size from the header and apply Pillow's decompression-bomb limits (no header ->
UnreadableImage), cut the metadata blocks out of the container, decode each block on
its own (a broken block is a warning, not a failure), then apply precedence.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from assets.metadata import heif, sniff
from assets.metadata.blocks import Blocks
from assets.metadata.c2pa import find_manifest
from assets.metadata.dimensions import check_pixels, read_size
from assets.metadata.errors import UnsupportedMedia
from assets.metadata.exif import ExifData, read_exif
from assets.metadata.iptc import IptcData, decode_iptc
from assets.metadata.jpeg import read_jpeg_blocks
from assets.metadata.model import EmbeddedMetadata, UnreadableBlock
from assets.metadata.plus import read_licensing
from assets.metadata.png import read_png_blocks
from assets.metadata.precedence import apply_precedence, block_values
from assets.metadata.provenance import read_provenance
from assets.metadata.source import FileBytes, ImageData
from assets.metadata.tiff import read_tiff_blocks
from assets.metadata.webp import read_webp_blocks
from assets.metadata.xmp import XMP_NOTE, XmpData, parse_xmp


def read_embedded(data: bytes) -> EmbeddedMetadata:
    """Read the IPTC, XMP and EXIF embedded in an image file.

    Raises UnsupportedMedia (not a supported image), UnreadableImage (header damaged or
    no image data) or ImageTooLarge (beyond twice Pillow's pixel limit). Everything else
    that goes wrong with the metadata is reported in `warnings`; the rest is still read.
    """
    return _read(data)


def read_embedded_file(path: Path) -> EmbeddedMetadata:
    """read_embedded for a file on disk, reading only the regions the containers need.

    The same result as `read_embedded(path.read_bytes())`, and the same errors, but memory
    stays flat whatever the file's size (HEIF excepted: libheif parses from memory).
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        return _read(FileBytes(fd))
    finally:
        os.close(fd)


def _read(data: ImageData) -> EmbeddedMetadata:
    media_type = sniff.sniff_media_type(data)
    if media_type is None:
        raise UnsupportedMedia(sniff.describe_unsupported(data[:64]))
    meta = EmbeddedMetadata(media_type=media_type)
    meta.width, meta.height, info = read_size(data, media_type)
    size_warning = check_pixels(meta.width, meta.height)
    if size_warning:
        meta.warnings.append(size_warning)
    blocks = _cut_blocks(data, media_type, info)
    meta.warnings.extend(blocks.warnings)
    meta.unreadable.extend(blocks.unreadable)

    iptc = [decode_iptc(block.data) for block in blocks.iptc]
    xmp = _read_xmp(blocks)
    more_xmp = [parse_xmp(packet) for packet in blocks.more_xmp]
    exif = read_exif(blocks.exif) if blocks.exif else None
    more_exif = [read_exif(block) for block in blocks.more_exif]
    apply_precedence(meta, iptc, xmp, exif)
    every_xmp = [x for x in (xmp, *more_xmp) if x is not None]
    every_exif = [e for e in (exif, *more_exif) if e is not None]
    meta.blocks, beyond_bounds = block_values(
        [(block.origin, data) for block, data in zip(blocks.iptc, iptc, strict=True)],
        every_xmp,
        every_exif,
    )
    meta.raw = _raw(iptc, xmp, exif)
    meta.licensing = read_licensing(iptc, every_xmp)
    meta.provenance = read_provenance(every_xmp, find_manifest(blocks, data, media_type))
    for problem in beyond_bounds:
        meta.warnings.append(problem.warning)
        meta.unreadable.append(problem)
    parts: list[tuple[str, IptcData | XmpData | ExifData]] = [
        *(("iptc", part) for part in iptc),
        *(("xmp", part) for part in every_xmp),
        *(("exif", part) for part in every_exif),
    ]
    for kind, part in parts:
        meta.warnings.extend(part.warnings)
        meta.unreadable.extend(UnreadableBlock(kind, warning) for warning in part.unreadable)
    return meta


def _cut_blocks(data: ImageData, media_type: str, info: dict[str, Any]) -> Blocks:
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
        xmp.cannot_read(f"extended XMP {guid} is referenced but missing")
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
