"""Errors raised when a file cannot be accepted as an image at all.

Metadata that cannot be read never raises: it becomes a warning on the result, because
a picture with a broken IPTC block is still a picture the desk may need. These errors
are for files that cannot be stored or served; the API maps them to 4xx problems, so
each message says what the uploader should do next.
"""

from __future__ import annotations

from rights.errors import RightsdeskError


class MetadataError(RightsdeskError):
    """Base class: the file cannot be read or written as an image; the message is
    user-facing (api/problems.py decides the HTTP status of each subclass)."""


class UnsupportedMedia(MetadataError):
    """The bytes are not one of the image types we accept (API: 415)."""


class UnreadableImage(MetadataError):
    """The bytes claim to be an image but its header cannot be read (truncated, damaged).

    API: 400, the "malformed upload" of the HTTP contract.
    """


class ImageTooLarge(MetadataError):
    """The image declares more pixels than we are willing to handle (decompression bomb).

    API: 413, as for an upload that is too large in bytes.
    """


class CannotEmbed(MetadataError):
    """Rights cannot be written into this file (type or size not supported by the writer).

    The API may answer 415 or serve the original file with a warning header.
    """
