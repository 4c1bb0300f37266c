"""Errors of the caption layer. Reading a caption never raises (what cannot be read is kept
as `unrecognised` and sent to review); what can fail is the agency knowledge it loads."""

from __future__ import annotations

from rights.errors import RightsdeskError


class CaptionError(RightsdeskError):
    """Agency knowledge the parser cannot load: the message names the file and the fix."""
