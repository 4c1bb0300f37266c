"""One reading of a picture's credit from its caption and its embedded IPTC/XMP credit fields.

A file carries, beside its caption, the IPTC Credit (2:110, photoshop:Credit), Source (2:115,
photoshop:Source) and By-line fields. The rights record and the caption eval both read them
through `with_embedded`, so that what the eval measures is what the record stores.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from captions.model import ParsedCaption
from captions.parser import parse_caption


@dataclass(frozen=True, slots=True)
class EmbeddedCredit:
    """The embedded fields that name who supplied a picture (None: the file has none)."""

    credit: str | None = None
    source: str | None = None
    byline: str | None = None


def with_embedded(parsed: ParsedCaption, embedded: EmbeddedCredit) -> ParsedCaption:
    """The caption's reading with what the embedded fields say about its supplier.

    The caption's own credit comes first; the Credit field is read as a credit line and fills
    what the caption leaves open.
    """
    credit = parse_caption(embedded.credit) if embedded.credit else ParsedCaption()
    return dataclasses.replace(
        parsed,
        agency=parsed.agency or credit.agency,
        credit_line=parsed.credit_line or embedded.credit,
        source=parsed.source or embedded.source or credit.source,
        byline=parsed.byline or embedded.byline,
    )
