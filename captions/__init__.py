"""Caption text -> ParsedCaption. Pure: no I/O, no DB, no HTTP. Agencies are profile files."""

from captions.model import ParsedCaption

__all__ = ["ParsedCaption"]
