"""Read the pixel size from the image header and apply Pillow's decompression-bomb limits.

The size is in the first bytes of every supported format, so it is read directly
instead of through Image.open: Pillow's PNG opener also inflates the text chunks before
IDAT and refuses the whole file over a hostile XMP chunk, which should only cost the
metadata. The limits are Pillow's own (Image.MAX_IMAGE_PIXELS: warn above it, refuse
above twice it), so the service refuses exactly what its thumbnailer would refuse.
For HEIF, pillow-heif opens the file (proving libheif can) and isobmff.py finds the
stored size.
"""

from __future__ import annotations

import io
import struct
import warnings
from typing import Any

from PIL import Image

from assets.metadata import sniff
from assets.metadata.errors import ImageTooLarge, UnreadableImage
from assets.metadata.isobmff import primary_size
from assets.metadata.jpeg import SOS, segments
from assets.metadata.source import ImageData
from assets.metadata.tiff import TAG_HEIGHT, TAG_WIDTH, read_header, read_ifd

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _unreadable(media_type: str, why: str) -> UnreadableImage:
    return UnreadableImage(
        f"the {media_type} header cannot be read ({why}); the file is truncated or "
        "damaged: export it again and re-upload"
    )


def read_size(data: ImageData, media_type: str) -> tuple[int, int, dict[str, Any]]:
    """(width, height, heif_info) from the header; raises UnreadableImage when absent."""
    if media_type == sniff.JPEG:
        return (*_jpeg_size(data), {})
    if media_type == sniff.PNG:
        return (*_png_size(data), {})
    if media_type == sniff.WEBP:
        return (*_webp_size(data), {})
    if media_type == sniff.TIFF:
        return (*_tiff_size(data), {})
    return _heif_size(data, media_type)


def check_pixels(width: int, height: int) -> str | None:
    """Raise ImageTooLarge above twice Pillow's limit; return a warning above the limit."""
    limit = Image.MAX_IMAGE_PIXELS
    pixels = width * height
    if not limit or pixels <= limit:
        return None
    if pixels > 2 * limit:
        raise ImageTooLarge(
            f"image is too large to process safely: {width}x{height} is {pixels} pixels, "
            f"the limit is {2 * limit}; upload a smaller version"
        )
    return (
        f"image has {pixels} pixels, above the {limit} pixel safety limit for decoding; "
        "its metadata was read but previews may be refused"
    )


def _jpeg_size(data: ImageData) -> tuple[int, int]:
    size = None
    for seg in segments(data):
        if seg.marker in _SOF and size is None and len(seg.payload) >= 5:
            height, width = struct.unpack(">HH", seg.payload[1:5])
            size = (width, height)
        if seg.marker == SOS:
            if size is None or 0 in size:
                raise _unreadable(sniff.JPEG, "no frame header before the image data")
            return size
    raise _unreadable(sniff.JPEG, "no image data: the file ends inside its header")


def _png_size(data: ImageData) -> tuple[int, int]:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise _unreadable(sniff.PNG, "no IHDR chunk")
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height:
        raise _unreadable(sniff.PNG, "zero size")
    return width, height


def _webp_size(data: ImageData) -> tuple[int, int]:
    kind, body = data[12:16], data[20:40]
    if kind == b"VP8X" and len(body) >= 10:
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
        return width, height
    if kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise _unreadable(sniff.WEBP, "no VP8/VP8L/VP8X header")


def _tiff_size(data: ImageData) -> tuple[int, int]:
    header = read_header(data)
    if header is None:
        raise _unreadable(sniff.TIFF, "bad TIFF header")
    entries, _, problem = read_ifd(data, header, header.first_ifd)
    values: dict[int, int] = {}
    for entry in entries:
        if entry.tag in (TAG_WIDTH, TAG_HEIGHT) and entry.value:
            fmt = {3: "H", 4: "I", 16: "Q"}.get(entry.type)
            if fmt and len(entry.value) >= struct.calcsize(fmt):
                values[entry.tag] = struct.unpack_from(header.order + fmt, entry.value)[0]
    if not values.get(TAG_WIDTH) or not values.get(TAG_HEIGHT):
        raise _unreadable(sniff.TIFF, problem or "IFD0 has no image size")
    return values[TAG_WIDTH], values[TAG_HEIGHT]


def _heif_size(data: ImageData, media_type: str) -> tuple[int, int, dict[str, Any]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # we apply the pixel limits ourselves
            # libheif parses from memory, so the whole file is read (bytes: not copied)
            with Image.open(io.BytesIO(data[:]), formats=["HEIF"]) as image:
                width, height = primary_size(data) or image.size
                return width, height, {str(k): v for k, v in image.info.items()}
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"image is too large to process safely ({exc})") from exc
    except Exception as exc:  # libheif reports damage through many exception types
        raise _unreadable(media_type, f"{type(exc).__name__}: {exc}") from exc
