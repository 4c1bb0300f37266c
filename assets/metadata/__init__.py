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
from assets.metadata.model import EmbeddedMetadata, RightsFields
from assets.metadata.reader import read_embedded
from assets.metadata.sniff import sniff_media_type
from assets.metadata.writer import embed_rights

__all__ = [
    "CannotEmbed",
    "EmbeddedMetadata",
    "ImageTooLarge",
    "MetadataError",
    "RightsFields",
    "UnreadableImage",
    "UnsupportedMedia",
    "embed_rights",
    "read_embedded",
    "sniff_media_type",
]
