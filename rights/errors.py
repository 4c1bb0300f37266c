"""The root of every error rightsdesk raises on purpose, and the policy's own.

Each layer has its domain's subclass (`WireError` here, `captions.errors.CaptionError`,
`assets.errors.AssetError`, `assets.metadata.MetadataError`, `assets.blobs.BlobError`), so a
caller can catch "anything the service refused" in one clause. What an error means over HTTP
is decided in one place, `api/problems.py`: the domain says what went wrong, not how to answer.
The root lives in the lowest layer because every other layer may import it.
"""

from __future__ import annotations


class RightsdeskError(Exception):
    """Something the service refuses or cannot do; the message says what to do next."""


class WireError(RightsdeskError, ValueError):
    """A dict that cannot be read as a rights value; the message names the field and the fix."""


class UnknownTerritory(RightsdeskError, ValueError):
    """A territory that is no assigned ISO 3166-1 alpha-2 code nor a documented alias."""


class PolicyError(RightsdeskError, ValueError):
    """A document that is not an ODRL policy at all; the message says what to send instead."""
