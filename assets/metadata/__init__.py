"""Embedded metadata I/O: read IPTC, XMP and EXIF; write rights back into downloads."""

from assets.metadata.model import EmbeddedMetadata

__all__ = ["EmbeddedMetadata"]
