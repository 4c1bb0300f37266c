"""Recognise the image type from the first bytes, never from a file name or a client header.

The upload path calls this first so that a PDF or a ZIP is refused with 415 before any
parser sees it.
"""

from __future__ import annotations

from assets.metadata.source import ImageData

JPEG = "image/jpeg"
TIFF = "image/tiff"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"
HEIF = "image/heif"

# ISO BMFF brands (ftyp major / compatible) that mean a still HEIF image.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2", b"avci"}


def sniff_media_type(data: ImageData) -> str | None:
    """Return the MIME type of a supported image from its magic bytes, else None."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return _heif_type(data)
    return None


def _heif_type(data: ImageData) -> str | None:
    """Classify an ftyp box by its major brand, falling back to the compatible brands."""
    size = int.from_bytes(data[0:4], "big")
    if size < 16 or size > min(len(data), 4096):
        size = min(len(data), 64)
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, size - 3, 4)}
    if major in _HEIC_BRANDS:
        return HEIC
    if major in _HEIF_BRANDS:
        return HEIF  # as ExifTool does: the major brand decides, even if "heic" is listed
    if compatible & _HEIC_BRANDS:
        return HEIC
    if compatible & _HEIF_BRANDS:
        return HEIF
    return None


_KNOWN_OTHERS = (
    (b"%PDF", "a PDF"),
    (b"GIF8", "a GIF"),
    (b"BM", "a BMP"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"8BPS", "a Photoshop document"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000"),
    (b"<", "text or HTML"),
)


def describe_unsupported(data: bytes) -> str:
    """A user-facing sentence saying what the file seems to be and what to upload instead."""
    what = "empty" if not data else "not an image we recognise"
    for magic, name in _KNOWN_OTHERS:
        if data.startswith(magic):
            what = name
            break
    if data[4:8] == b"ftyp":
        what = f"an ISO media file of brand {data[8:12].decode('latin-1')!r}"
    return f"file is {what}; upload a JPEG, TIFF, PNG, WebP or HEIC/HEIF image"
