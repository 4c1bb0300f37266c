"""What can go wrong in the catalogue, each error saying what to do next.

The API maps each class to an HTTP status (api/problems.py); the CLI prints the message.
"""

from __future__ import annotations

from typing import Any


class AssetError(Exception):
    """Base of the catalogue's errors."""

    status = 400
    title = "Bad request"

    def problem_fields(self) -> dict[str, Any]:
        """Members the API adds to the problem+json answer beside `detail` (none by default)."""
        return {}


class EmptyUpload(AssetError):
    status = 400
    title = "Empty file"


class UploadTooLarge(AssetError):
    status = 413
    title = "File too large"


class NotAnImage(AssetError):
    status = 415
    title = "Unsupported media type"


class AssetNotFound(AssetError):
    status = 404
    title = "Asset not found"


class InvalidRequest(AssetError):
    status = 400
    title = "Invalid request"


class Conflict(AssetError):
    status = 409
    title = "Conflict"


class InvalidPolicy(AssetError):
    """A document put as an asset's policy that is not an ODRL policy at all."""

    status = 422
    title = "Not an ODRL policy"
