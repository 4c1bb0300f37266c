"""Decode the EXIF block (a small TIFF structure) with exifread.

Only the text fields a picture desk cares about feed the normalised record (description,
artist, copyright, date taken); everything exifread reads is kept in `raw["exif"]`.
Maker notes and thumbnails are skipped: they are large, vendor-specific, and hold no rights.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

import exifread

from assets.metadata.blocks import MAX_BLOCK_BYTES

# exifread reports damaged files through logging at WARNING level; we turn those into
# warnings on the result instead, so its own log lines are only noise in the service log.
logging.getLogger("exifread").setLevel(logging.ERROR)


@dataclass(slots=True)
class ExifData:
    """exifread's tags ("Image Artist", "EXIF DateTimeOriginal", "GPS GPSLatitude", ...)."""

    tags: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        """A tag as stripped text, or None when absent or empty."""
        value = self.tags.get(name)
        if value is None:
            return None
        text = value if isinstance(value, str) else str(value)
        text = text.strip(" \x00")
        return text or None


def read_exif(tiff: bytes) -> ExifData:
    """Decode a TIFF-structured EXIF block; damage becomes a warning, never an exception."""
    result = ExifData()
    if len(tiff) > MAX_BLOCK_BYTES:
        result.warnings.append(f"EXIF block of {len(tiff)} bytes is too large; EXIF ignored")
        return result
    try:
        tags = exifread.process_file(
            io.BytesIO(tiff),
            details=False,
            extract_thumbnail=False,
            builtin_types=True,
            truncate_tags=False,
        )
    except Exception as exc:  # exifread raises many kinds on damaged IFDs; none is fatal here
        result.warnings.append(f"EXIF block could not be read ({type(exc).__name__}); skipped")
        return result
    result.tags = {
        name: _plain(value)
        for name, value in tags.items()
        if not name.startswith(("JPEGThumbnail", "TIFFThumbnail", "Thumbnail "))
    }
    return result


def _plain(value: Any) -> Any:
    """Keep raw values JSON-friendly: binary blobs become a short description."""
    if isinstance(value, bytes | bytearray):
        return f"(binary, {len(value)} bytes)"
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
