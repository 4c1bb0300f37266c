"""What a sidecar says about its picture, whichever standard it was written in.

A sidecar (NewsML-G2 newsItem, IPTC ninjs 1.x / 2.x, an XMP `.xmp` file) travels beside the
picture and may say more than the file: the caption, the rights, an embargo, or that the
agency corrects, withholds or kills the picture. Every reader turns its format into one
`Sidecar`; `block` makes the rights-bearing texts one more metadata block (origin `sidecar`),
so the rights reading unites them with the file's own and a sidecar can only add restrictions.

Sidecars come from outside: each reader refuses files over MAX_SIDECAR_BYTES, XML is parsed
with defusedxml (no DTD, no entity expansion), and anything unreadable is a SidecarError, which
sends the picture to `rejected/` untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from assets.metadata import BlockValues, MetadataError

MAX_SIDECAR_BYTES = 2 * 1024 * 1024
SIDECAR_SUFFIXES = (".xml", ".json", ".xmp")

# What the agency says happens to the picture; `kill` and `withhold` withdraw it.
Signal = str
WITHDRAWING = frozenset({"kill", "withhold"})


class SidecarError(MetadataError, ValueError):
    """The sidecar could not be read; the message says what was wrong with it."""


@dataclass(slots=True)
class Sidecar:
    """One sidecar's reading. Text fields are None when the sidecar does not give them."""

    standard: str  # newsml-g2 | ninjs | xmp
    item_id: str | None = None  # NewsML-G2 guid, ninjs uri: the agency's identity of the item
    version: str | None = None
    description: str | None = None  # the caption
    headline: str | None = None
    byline: str | None = None
    credit: str | None = None
    copyright: str | None = None
    usage_terms: list[str] = field(default_factory=list)
    ednote: str | None = None
    located: str | None = None
    dateline: str | None = None
    embargo_until: datetime | None = None
    pub_status: str | None = None  # usable | withheld | canceled
    signals: set[Signal] = field(default_factory=set)
    renditions: list[str] = field(default_factory=list)  # hrefs of the pictures it describes
    # (block field, text): every further caption or copyright text the sidecar holds besides
    # the one taken as the field's value (a summary beside the caption, a second notice), so
    # a restriction it states is read wherever it stands
    also: list[tuple[str, str]] = field(default_factory=list)

    def keep_also(self, name: str, texts: list[str | None], taken: str | None) -> None:
        for text in texts:
            if text and text != taken and (name, text) not in self.also:
                self.also.append((name, text))

    @property
    def withdraws(self) -> bool:
        """The agency kills or withholds the picture."""
        return bool(self.signals & WITHDRAWING)

    @property
    def corrects(self) -> bool:
        return bool(self.signals & {"update", "correction"})

    def block(self) -> BlockValues:
        """The sidecar's rights-bearing texts as a metadata block of origin `sidecar`.

        The embargo becomes the phrase the caption reader knows, so it is one restriction
        like any other (and, like any other, kept by every later reading)."""
        values = BlockValues("sidecar", where=self.standard)
        values.add("caption", self.description)
        values.add("credit", self.credit)
        values.add("copyright", self.copyright)
        for terms in self.usage_terms:
            values.add("usage_terms", terms)
        values.add("special_instructions", self.ednote)
        for name, text in self.also:
            values.add(name, text)
        if self.embargo_until is not None:
            values.add(
                "special_instructions",
                "EMBARGOED UNTIL "
                + self.embargo_until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        return values


def read_sidecar(name: str, data: bytes) -> Sidecar:
    """Read a sidecar by its name's suffix (and, for `.xml`, its root element)."""
    if len(data) > MAX_SIDECAR_BYTES:
        raise SidecarError(
            f"sidecar {name} is {len(data)} bytes; sidecars over {MAX_SIDECAR_BYTES} bytes"
            " are refused"
        )
    lower = name.lower()
    if lower.endswith(".json"):
        from assets.feeds.ninjs import read_ninjs as reader
    elif lower.endswith(".xmp"):
        from assets.feeds.xmp_sidecar import read_xmp_sidecar as reader
    elif lower.endswith(".xml"):
        from assets.feeds.newsml import read_newsml as reader
    else:
        raise SidecarError(f"{name} is not a sidecar rightsdesk reads (.xml, .json or .xmp)")
    try:
        return reader(data)
    except SidecarError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, LookupError) as exc:
        # whatever else a sender's bytes make a reader raise (a number too long to convert,
        # an unknown encoding) is still an unreadable sidecar, never a retry or a stalled feed
        raise SidecarError(f"sidecar {name} cannot be read: {type(exc).__name__}: {exc}") from exc


def is_sidecar_name(name: str) -> bool:
    return name.lower().endswith(SIDECAR_SUFFIXES)


def parse_moment(value: str | None, what: str) -> datetime | None:
    """An ISO 8601 date-time from a sidecar; a date alone is midnight UTC. None when absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
        # in UTC at once: a moment at the edge of the calendar fails here, not when used
        return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise SidecarError(f"{what} {value!r} is not an ISO 8601 date-time in range") from exc


def clean_text(value: object) -> str | None:
    """A sidecar's text value, stripped; None when it is not a non-blank string."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text or None
