"""Web addresses clients give us (where an image was published): http(s) only."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, WithJsonSchema

from api.fields import CleanText

WEB_SCHEMES = frozenset({"http", "https"})


def web_address(value: str) -> str:
    """`value` if it is an absolute http(s) address with a host, else ValueError.

    A recorded usage URL is shown to people and sent to the take-down webhook, so a
    `javascript:`, `data:` or `file:` address, or one hiding control characters or spaces,
    is refused rather than stored."""
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValueError("a URL may not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise ValueError("only http:// and https:// URLs are accepted")
    if not parts.hostname:
        raise ValueError("the URL names no host")
    return value


WEB_ADDRESS_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,4})?([/?#][!-~]*)?$"
"""The form the API document declares (plain ASCII addresses); `web_address` also reads
international ones, which a client may send percent-encoded or as they are."""

WebURL = Annotated[
    CleanText,
    AfterValidator(web_address),
    WithJsonSchema({"type": "string", "pattern": WEB_ADDRESS_PATTERN}),
]
