"""Embedded metadata I/O: read IPTC, XMP and EXIF; write rights back into downloads.

Bytes in, values out (read_embedded_file also reads the file it is given); no database,
no HTTP, no pixel decoding. The public surface is re-exported here; the modules behind it
are private:

- sniff: image type from magic bytes; dimensions: size and Pillow's pixel limits
- jpeg, tiff, png, webp, heif (+ isobmff), trailers: cut metadata blocks out of containers
- iptc, irb, xmp, exif, dates: decode the blocks; precedence: IPTC > XMP > EXIF
- source: what the readers read, bytes or a file read a region at a time (FileBytes)
- reader: read_embedded, read_embedded_file; writer (+ jpeg_write, tiff_write,
  iptc_update, xmp_update): embed_rights
- compare: `python -m assets.metadata.compare DIR`, agreement with ExifTool
"""

from assets.metadata.errors import (
    CannotEmbed,
    ImageTooLarge,
    MetadataError,
    UnreadableImage,
    UnsupportedMedia,
)
from assets.metadata.model import (
    RIGHTS_FIELDS,
    BlockValues,
    EmbeddedMetadata,
    LicensingFields,
    RightsFields,
    UnreadableBlock,
)
from assets.metadata.reader import read_embedded, read_embedded_file
from assets.metadata.sniff import sniff_media_type
from assets.metadata.writer import embed_rights

__all__ = [
    "RIGHTS_FIELDS",
    "BlockValues",
    "CannotEmbed",
    "EmbeddedMetadata",
    "ImageTooLarge",
    "LicensingFields",
    "MetadataError",
    "RightsFields",
    "UnreadableBlock",
    "UnreadableImage",
    "UnsupportedMedia",
    "embed_rights",
    "read_embedded",
    "read_embedded_file",
    "sniff_media_type",
]
