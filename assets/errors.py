"""What can go wrong in the catalogue, each error saying what to do next.

The API decides what each class means over HTTP (api/problems.py); the CLI prints the message.
"""

from __future__ import annotations

from rights.errors import RightsdeskError


class AssetError(RightsdeskError):
    """Base of the catalogue's errors."""


class EmptyUpload(AssetError):
    """An upload without a byte."""


class UploadTooLarge(AssetError):
    """An upload beyond the configured size."""


class NotAnImage(AssetError):
    """Bytes that are not a picture the catalogue takes."""


class AssetNotFound(AssetError):
    """No asset with this id or reference."""


class AssetPurged(AssetError):
    """The asset's retention ended and its file is deleted, or is being deleted: never served."""


class InvalidRequest(AssetError):
    """A request the catalogue cannot act on as asked."""


class Conflict(AssetError):
    """A change that clashes with the asset's state (killed, decided, changed meanwhile)."""


class InvalidPolicy(AssetError):
    """A document put as an asset's policy that is not an ODRL policy at all."""
