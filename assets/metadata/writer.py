"""embed_rights: write the current rights into a file's IPTC and XMP for downloads.

Pure bytes in, bytes out. JPEG and classic TIFF are supported; other types raise
CannotEmbed with advice, so the API can serve the original file instead.
"""

from __future__ import annotations

from assets.metadata import sniff
from assets.metadata.errors import CannotEmbed, UnsupportedMedia
from assets.metadata.jpeg_write import embed_in_jpeg
from assets.metadata.model import RightsFields
from assets.metadata.tiff_write import embed_in_tiff


def embed_rights(data: bytes, fields: RightsFields) -> bytes:
    """Return `data` with IPTC 2:40/110/115/116/120 (UTF-8, 1:90) and the XMP rights set.

    XMP: dc:description, dc:rights, xmpRights:UsageTerms, photoshop:Instructions,
    photoshop:Credit, photoshop:Source. Existing blocks are replaced, never duplicated;
    fields left as None keep the file's own value. Image data is copied byte for byte.
    """
    media_type = sniff.sniff_media_type(data)
    if media_type is None:
        raise UnsupportedMedia(sniff.describe_unsupported(data))
    if media_type == sniff.JPEG:
        return embed_in_jpeg(data, fields)
    if media_type == sniff.TIFF:
        return embed_in_tiff(data, fields)
    raise CannotEmbed(
        f"rights can be written into JPEG and TIFF only, not {media_type}; "
        "download the original, or convert the image to JPEG first"
    )
