"""One reading of a picture's supplier from its caption and its embedded IPTC credit fields.

A file carries, beside its caption, the IPTC Credit (2:110, photoshop:Credit), Source (2:115,
photoshop:Source) and By-line fields. The rights record and the caption eval both read them
through `with_embedded`, so that what the eval measures is what the record stores.

The supplier (the `agency`: the party whose terms govern) is the one that delivered the file:
1. the party after "via" in the caption's credit or the Credit field ("AFP via Getty Images");
2. else a known supplier the Source field names that the credit does not name as the picture's
   origin: a caption credited "AFP PHOTO / NAME" delivered with Source "Getty Images" came
   from Getty Images, and AFP is its source;
3. else the caption's credit, then the Credit field's, then a name in the Source field.
A name that matches no profile stays as written: unrecognised, so a check reviews it. The
Source field never gives a code ("X02856") or a tag ("Handout") as a name.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Final

from captions.chain import read_chain
from captions.model import ParsedCaption
from captions.parser import parse_caption
from captions.parties import Role, read_segment
from captions.profiles import Profile, agency_profile, is_brand, same_supplier
from captions.tolerant import phrase_key

_VIA: Final = re.compile(r"(?:^|[\s/,])via\s", re.IGNORECASE)
# A feed's code for a photographer or desk ("X02856", "RTR4ABC"): no supplier's name.
_CODE: Final = re.compile(r"^[^\W\d_]{0,4}\d[\w-]*$")
# Desk markers set around a name in embedded fields ("+++ dpa-Bildfunk +++").
_MARKS: Final = " \t\n+=*#"


@dataclass(frozen=True, slots=True)
class EmbeddedCredit:
    """The embedded fields that name who supplied a picture (None: the file has none)."""

    credit: str | None = None
    source: str | None = None
    byline: str | None = None


def with_embedded(parsed: ParsedCaption, embedded: EmbeddedCredit) -> ParsedCaption:
    """The caption's reading with what the embedded fields say about its supplier."""
    credit_text = _bare(embedded.credit)
    source_text = _bare(embedded.source)
    credit = field_reading(credit_text) if credit_text else ParsedCaption()
    source_field = field_reading(source_text) if source_text else ParsedCaption()
    delivered = _delivered_by(source_field)
    agency, origin = parsed.agency, parsed.source
    if agency is None:
        agency, origin = credit.agency, credit.source
    via = _says_via(parsed.credit_line) or (parsed.agency is None and _says_via(credit_text))
    if not via and _says_via(credit_text) and credit.agency is not None:
        # "Sputnik/Name/Kremlin" delivered with Credit "via REUTERS": Reuters delivered it.
        agency, via = credit.agency, True
    source = origin
    if (
        not via
        and delivered is not None
        and not (agency is not None and _same(delivered, agency))
        and not (origin is not None and _same(delivered, origin))
    ):
        chain_text = parsed.credit_line or credit_text
        if agency is not None and chain_text:
            # Read as the chain it is: "AFP PHOTO / NAME via Getty Images" -> source AFP.
            source = _source_via(chain_text, delivered.name) or agency
        agency = delivered.name
    elif via and agency is not None and agency != parsed.agency and parsed.credit_line:
        source = _source_via(parsed.credit_line, agency) or source
    if source_text and agency is not None and is_brand(phrase_key(source_text)):
        profile = agency_profile(agency)
        if profile is not None and same_supplier(profile, source_text):
            source = source_text  # a sub-brand of the supplier: "Getty Images" / "WireImage"
    if source is None and source_field.agency is not None and delivered is None:
        source = source_field.agency
    if agency is None:
        agency = delivered.name if delivered is not None else source_field.agency
    handout = parsed.handout or credit.handout or source_field.handout
    return dataclasses.replace(
        parsed,
        agency=agency,
        credit_line=parsed.credit_line or embedded.credit,
        source=source or agency,
        byline=parsed.byline or embedded.byline or credit.byline,
        handout=handout,
        pool=parsed.pool or credit.pool or source_field.pool,
    )


def field_reading(text: str) -> ParsedCaption:
    """An embedded field read as a credit line; a bare name ("Pixsell") names its supplier."""
    reading = parse_caption(text)
    if reading.agency is not None or _CODE.match(text):
        return reading
    chain = read_chain(text, 0, len(text), (), require=False)
    if chain is None:
        return reading
    party = chain.agency
    if party is None:
        tag = read_segment(text)
        return dataclasses.replace(reading, handout=tag.handout, pool=tag.pool)
    if party.role is Role.PERSON:
        return reading
    name = party.profile.name if party.profile is not None else party.name
    return dataclasses.replace(
        reading,
        agency=name,
        source=chain.supplier or name,
        byline=chain.byline,
        handout=reading.handout or chain.handout,
        pool=reading.pool or chain.pool,
    )


def _same(profile: Profile, name: str) -> bool:
    """Whether a name and a profile are one supplier, whichever names the other ("EPA-EFE")."""
    other = agency_profile(name)
    return same_supplier(profile, name) or (
        other is not None and same_supplier(other, profile.name)
    )


def _source_via(chain_text: str, deliverer: str) -> str | None:
    """The source of a caption's credit delivered by another supplier, read as one chain."""
    text = f"{chain_text} via {deliverer}"
    chain = read_chain(text, 0, len(text), (), require=False)
    return chain.supplier if chain is not None else None


def _delivered_by(source_field: ParsedCaption) -> Profile | None:
    """The known supplier the Source field names, if it names one."""
    if source_field.agency is None:
        return None
    return agency_profile(source_field.agency)


def _says_via(credit_line: str | None) -> bool:
    return credit_line is not None and _VIA.search(credit_line) is not None


def _bare(text: str | None) -> str:
    """A field's text without the desk markers around it."""
    return text.strip(_MARKS) if text else ""
