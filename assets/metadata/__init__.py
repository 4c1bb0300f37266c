"""Embedded metadata I/O: read IPTC, XMP and EXIF; write rights back into downloads.

Pure: bytes in, values out. Public surface below; the modules behind it are private.
"""

from assets.metadata.errors import (
    CannotEmbed,
    ImageTooLarge,
    MetadataError,
    UnreadableImage,
    UnsupportedMedia,
)
from assets.metadata.model import EmbeddedMetadata
from assets.metadata.reader import read_embedded
from assets.metadata.sniff import sniff_media_type

__all__ = [
    "CannotEmbed",
    "EmbeddedMetadata",
    "ImageTooLarge",
    "MetadataError",
    "UnreadableImage",
    "UnsupportedMedia",
    "read_embedded",
    "sniff_media_type",
]
